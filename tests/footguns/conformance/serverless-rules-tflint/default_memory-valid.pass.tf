resource "aws_lambda_function" "this" {
  memory_size = 2048
}
