resource "aws_iam_role" "this" {
  name = "my-function-role"
  assume_role_policy = <<EOF
{
	"Version": "2012-10-17",
	"Statement": [{
		"Action": "sts:AssumeRole",
		"Effect": "Allow",
		"Sid": "",
		"Principal": {
			"Service": "lambda.amazonaws.com"
		}
	}]
}
EOF

  inline_policy {
    name = "FunctionPolicy"
    policy = <<EOF
{
	"Version": "2012-10-17",
	"Statement": [{
		"Effect": "Allow",
		"Action": ["dynamodb:Query"],
		"Resource": "*"
	}]
}
EOF
  }
}
