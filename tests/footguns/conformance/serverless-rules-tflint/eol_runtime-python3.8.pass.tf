resource "aws_lambda_function" "this" {
  runtime = "python3.8"
}
