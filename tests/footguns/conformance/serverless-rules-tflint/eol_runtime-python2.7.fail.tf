resource "aws_lambda_function" "this" {
  runtime = "python2.7"
}
